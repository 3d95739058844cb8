;; The depthwise convolution gradients of the WASM training kernels (wasmLoopKernels.ts), run on
;; the tfjs WASM backend's own memory: NHWC x / dx, dy and a filter [fh, fw, C, M] (M outputs per
;; input channel, output channel c·M + q). Both walk the output positions once, each position's
;; window taps adding one row of C·M products (four at a time when M is 1, the usual case).
;;
;; Every pointer is a byte address in the backend's heap; every count and stride is in floats.
;; scripts/buildHeapLoops.mjs compiles this file into heapLoopsBinary.ts.
(module
  (import "env" "memory" (memory 1))

  ;; dst[i] += a[i] · b[i] for i < n, four at a time.
  (func $mulAddRun (param $dst i32) (param $a i32) (param $b i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $simd)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br $tail))))

  ;; One window tap of one output position, M > 1. Filter gradient (toFilter = 1):
  ;; dw[c·M + q] += x[c] · dy[c·M + q]; input gradient: dx[c] += Σ_q dy[c·M + q] · w[c·M + q].
  (func $multiplierTap (param $toFilter i32) (param $xRow i32) (param $dyRow i32) (param $wRow i32) (param $C i32) (param $M i32)
    (local $c i32) (local $q i32) (local $sum f32) (local $xv f32) (local $at i32)
    (block $cDone
      (loop $channels
        (br_if $cDone (i32.ge_u (local.get $c) (local.get $C)))
        (local.set $xv (f32.load (i32.add (local.get $xRow) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $sum (f32.const 0))
        (local.set $q (i32.const 0))
        (block $qDone
          (loop $outputs
            (br_if $qDone (i32.ge_u (local.get $q) (local.get $M)))
            (local.set $at (i32.shl (i32.add (i32.mul (local.get $c) (local.get $M)) (local.get $q)) (i32.const 2)))
            (if (local.get $toFilter)
              (then
                (f32.store (i32.add (local.get $wRow) (local.get $at))
                  (f32.add (f32.load (i32.add (local.get $wRow) (local.get $at)))
                    (f32.mul (local.get $xv) (f32.load (i32.add (local.get $dyRow) (local.get $at)))))))
              (else
                (local.set $sum (f32.add (local.get $sum)
                  (f32.mul (f32.load (i32.add (local.get $dyRow) (local.get $at))) (f32.load (i32.add (local.get $wRow) (local.get $at))))))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $outputs)))
        (if (i32.eqz (local.get $toFilter))
          (then
            (f32.store (i32.add (local.get $xRow) (i32.shl (local.get $c) (i32.const 2)))
              (f32.add (local.get $xv) (local.get $sum)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $channels))))

  ;; toFilter = 1: dw (zeroed here) from x and dy; toFilter = 0: dx (zeroed here) from dy and w.
  ;; `out` is dw or dx, `data` is x or w.
  (func $depthwise (param $toFilter i32) (param $out i32) (param $data i32) (param $dy i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $M i32) (param $OH i32) (param $OW i32)
    (param $FH i32) (param $FW i32) (param $SH i32) (param $SW i32) (param $DH i32) (param $DW i32)
    (param $top i32) (param $left i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $h i32) (local $w i32)
    (local $dyRow i32) (local $xRow i32) (local $wRow i32) (local $CM i32)
    (local.set $CM (i32.mul (local.get $C) (local.get $M)))
    (memory.fill (local.get $out) (i32.const 0)
      (i32.shl
        (select
          (i32.mul (i32.mul (local.get $FH) (local.get $FW)) (local.get $CM))
          (i32.mul (i32.mul (i32.mul (local.get $B) (local.get $H)) (local.get $W)) (local.get $C))
          (local.get $toFilter))
        (i32.const 2)))
    (local.set $dyRow (local.get $dy))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohLoop
        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $OH)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owLoop
          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $OW)))
          (local.set $kh (i32.const 0))
          (block $khDone (loop $khLoop
            (br_if $khDone (i32.ge_u (local.get $kh) (local.get $FH)))
            (local.set $h (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $SH)) (i32.mul (local.get $kh) (local.get $DH))) (local.get $top)))
            (local.set $kw (i32.const 0))
            ;; unsigned: a negative row or column reads as out of range too
            (if (i32.lt_u (local.get $h) (local.get $H))
              (then
                (block $kwDone (loop $kwLoop
                  (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $FW)))
                  (local.set $w (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $SW)) (i32.mul (local.get $kw) (local.get $DW))) (local.get $left)))
                  (if (i32.lt_u (local.get $w) (local.get $W))
                    (then
                      (local.set $xRow (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w)) (local.get $C)) (i32.const 2)))
                      (local.set $wRow (i32.shl (i32.mul (i32.add (i32.mul (local.get $kh) (local.get $FW)) (local.get $kw)) (local.get $CM)) (i32.const 2)))
                      (if (local.get $toFilter)
                        (then
                          (if (i32.eq (local.get $M) (i32.const 1))
                            (then (call $mulAddRun (i32.add (local.get $out) (local.get $wRow)) (i32.add (local.get $data) (local.get $xRow)) (local.get $dyRow) (local.get $C)))
                            (else (call $multiplierTap (i32.const 1) (i32.add (local.get $data) (local.get $xRow)) (local.get $dyRow)
                              (i32.add (local.get $out) (local.get $wRow)) (local.get $C) (local.get $M)))))
                        (else
                          (if (i32.eq (local.get $M) (i32.const 1))
                            (then (call $mulAddRun (i32.add (local.get $out) (local.get $xRow)) (local.get $dyRow) (i32.add (local.get $data) (local.get $wRow)) (local.get $C)))
                            (else (call $multiplierTap (i32.const 0) (i32.add (local.get $out) (local.get $xRow)) (local.get $dyRow)
                              (i32.add (local.get $data) (local.get $wRow)) (local.get $C) (local.get $M))))))))
                  (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
                  (br $kwLoop)))))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (local.set $dyRow (i32.add (local.get $dyRow) (i32.shl (local.get $CM) (i32.const 2))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop))))

  ;; dw [FH, FW, C, M] = Σ over positions and batch of x (NHWC) times dy (NHWC, C·M channels).
  (func (export "depthwiseFilterGrad") (param $dw i32) (param $x i32) (param $dy i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $M i32) (param $OH i32) (param $OW i32)
    (param $FH i32) (param $FW i32) (param $SH i32) (param $SW i32) (param $DH i32) (param $DW i32)
    (param $top i32) (param $left i32)
    (call $depthwise (i32.const 1) (local.get $dw) (local.get $x) (local.get $dy)
      (local.get $B) (local.get $H) (local.get $W) (local.get $C) (local.get $M) (local.get $OH) (local.get $OW)
      (local.get $FH) (local.get $FW) (local.get $SH) (local.get $SW) (local.get $DH) (local.get $DW)
      (local.get $top) (local.get $left)))

  ;; dx (NHWC) from dy (NHWC, C·M channels) and the filter w [FH, FW, C, M].
  (func (export "depthwiseInputGrad") (param $dx i32) (param $w i32) (param $dy i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $M i32) (param $OH i32) (param $OW i32)
    (param $FH i32) (param $FW i32) (param $SH i32) (param $SW i32) (param $DH i32) (param $DW i32)
    (param $top i32) (param $left i32)
    (call $depthwise (i32.const 0) (local.get $dx) (local.get $w) (local.get $dy)
      (local.get $B) (local.get $H) (local.get $W) (local.get $C) (local.get $M) (local.get $OH) (local.get $OW)
      (local.get $FH) (local.get $FW) (local.get $SH) (local.get $SW) (local.get $DH) (local.get $DW)
      (local.get $top) (local.get $left)))
)

;; The WASM training kernels' data movement (wasmConvKernels.ts, wasmLoopKernels.ts, the Sum
;; wrapper), run on the tfjs WASM backend's own memory: the patches of a convolution (im2col), the
;; columns added back (col2im), tiled transposes, max pooling's gradient and sums over rows.
;; Written here rather than in JS because JS loops over typed arrays were most of a convnet's
;; training step, while these loops (SIMD where the data lie together) run near memory speed.
;;
;; Every pointer is a byte address in the backend's heap; every count and stride is in floats.
;; The memory is imported (the backend's own, never shared: tfjs's threaded build is not used);
;; scripts/buildHeapLoops.mjs compiles this file into heapLoopsBinary.ts.
(module
  (import "env" "memory" (memory 1))

  ;; dst[i] += src[i] for i < n, four at a time.
  (func $addRun (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $simd)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; dst[i] = src[i] for i < n: memory.copy for long runs (it costs a call), else four at a time.
  (func $copyRun (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (if (i32.ge_u (local.get $n) (i32.const 16))
      (then (memory.copy (local.get $dst) (local.get $src) (i32.shl (local.get $n) (i32.const 2))) (return)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $simdDone
      (loop $simd
        (br_if $simdDone (i32.ge_u (local.get $dst) (local.get $end)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $simd)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.load (local.get $src)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; src [rows, cols] row-major -> dst [cols, rows], in 32 x 32 tiles that stay in the cache.
  (func (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
    (local $r0 i32) (local $r1 i32) (local $c0 i32) (local $c1 i32) (local $r i32) (local $c i32)
    (local $from i32) (local $to i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $rows) (i32.const 2)))
    (block $rDone
      (loop $rTiles
        (br_if $rDone (i32.ge_u (local.get $r0) (local.get $rows)))
        (local.set $r1 (i32.add (local.get $r0) (i32.const 32)))
        (if (i32.gt_u (local.get $r1) (local.get $rows)) (then (local.set $r1 (local.get $rows))))
        (local.set $c0 (i32.const 0))
        (block $cDone
          (loop $cTiles
            (br_if $cDone (i32.ge_u (local.get $c0) (local.get $cols)))
            (local.set $c1 (i32.add (local.get $c0) (i32.const 32)))
            (if (i32.gt_u (local.get $c1) (local.get $cols)) (then (local.set $c1 (local.get $cols))))
            (local.set $r (local.get $r0))
            (block $rowDone
              (loop $row
                (br_if $rowDone (i32.ge_u (local.get $r) (local.get $r1)))
                ;; from = &src[r, c0], to = &dst[c0, r]
                (local.set $from (i32.add (local.get $src)
                  (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c0)) (i32.const 2))))
                (local.set $to (i32.add (local.get $dst)
                  (i32.shl (i32.add (i32.mul (local.get $c0) (local.get $rows)) (local.get $r)) (i32.const 2))))
                (local.set $c (local.get $c0))
                (block $colDone
                  (loop $col
                    (br_if $colDone (i32.ge_u (local.get $c) (local.get $c1)))
                    (i32.store (local.get $to) (i32.load (local.get $from)))
                    (local.set $from (i32.add (local.get $from) (i32.const 4)))
                    (local.set $to (i32.add (local.get $to) (local.get $rowBytes)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $col)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br $row)))
            (local.set $c0 (local.get $c1))
            (br $cTiles)))
        (local.set $r0 (local.get $r1))
        (br $rTiles))))

  ;; dst[c] = sum over r of src[r, c], for src [rows, cols] (summed in row order, in float32).
  (func (export "sumRows") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $dst) (i32.const 0) (local.get $rowBytes))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $addRun (local.get $dst) (local.get $src) (local.get $cols))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows))))

  ;; The patches of samples [b0, b1) as rows of dst: row (b, oh, ow), column (kh, kw, c); zeros
  ;; in the padding. x's element strides (sB, sH, sW, sC) give its layout (NHWC or NCHW).
  (func (export "im2colRows")
    (param $dst i32) (param $x i32) (param $b0 i32) (param $b1 i32)
    (param $OH i32) (param $OW i32) (param $H i32) (param $W i32) (param $C i32)
    (param $FH i32) (param $FW i32) (param $SH i32) (param $SW i32) (param $DH i32) (param $DW i32)
    (param $top i32) (param $left i32)
    (param $sB i32) (param $sH i32) (param $sW i32) (param $sC i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $c i32)
    (local $h i32) (local $w i32) (local $from i32) (local $runBytes i32) (local $cStride i32)
    (local $windowRow i32) (local $rowsTogether i32)
    (local.set $runBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $cStride (i32.shl (local.get $sC) (i32.const 2)))
    (local.set $windowRow (i32.mul (local.get $FW) (local.get $C)))
    (local.set $rowsTogether (i32.and (i32.eq (local.get $sC) (i32.const 1))
      (i32.and (i32.eq (local.get $sW) (local.get $C)) (i32.eq (local.get $DW) (i32.const 1)))))
    (local.set $b (local.get $b0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $b1)))
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
            (local.set $w (i32.sub (i32.mul (local.get $ow) (local.get $SW)) (local.get $left)))
            ;; NHWC, undilated, the window's row inside x: its FW·C floats lie together, one run
            (if (i32.and (local.get $rowsTogether)
                  (i32.and (i32.lt_u (local.get $h) (local.get $H))
                    (i32.and (i32.ge_s (local.get $w) (i32.const 0)) (i32.le_s (i32.add (local.get $w) (local.get $FW)) (local.get $W)))))
              (then
                (call $copyRun (local.get $dst)
                  (i32.add (local.get $x) (i32.shl
                    (i32.add (i32.add (i32.mul (local.get $b) (local.get $sB)) (i32.mul (local.get $h) (local.get $sH)))
                      (i32.mul (local.get $w) (local.get $sW)))
                    (i32.const 2)))
                  (local.get $windowRow))
                (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $windowRow) (i32.const 2))))
                (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
                (br $khLoop)))
            (local.set $kw (i32.const 0))
            (block $kwDone (loop $kwLoop
              (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $FW)))
              (local.set $w (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $SW)) (i32.mul (local.get $kw) (local.get $DW))) (local.get $left)))
              ;; unsigned: a negative row or column reads as out of range too
              (if (i32.or (i32.ge_u (local.get $h) (local.get $H)) (i32.ge_u (local.get $w) (local.get $W)))
                (then
                  (local.set $c (i32.const 0))
                  (block $zDone (loop $zLoop
                    (br_if $zDone (i32.ge_u (local.get $c) (local.get $C)))
                    (i32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))) (i32.const 0))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br $zLoop))))
                (else
                  (local.set $from (i32.add (local.get $x) (i32.shl
                    (i32.add (i32.add (i32.mul (local.get $b) (local.get $sB)) (i32.mul (local.get $h) (local.get $sH)))
                      (i32.mul (local.get $w) (local.get $sW)))
                    (i32.const 2))))
                  ;; memory.copy costs a call: worth it only for longer runs
                  (if (i32.and (i32.eq (local.get $sC) (i32.const 1)) (i32.ge_u (local.get $C) (i32.const 16)))
                    (then (memory.copy (local.get $dst) (local.get $from) (local.get $runBytes)))
                    (else
                      (local.set $c (i32.const 0))
                      (block $cDone (loop $cLoop
                        (br_if $cDone (i32.ge_u (local.get $c) (local.get $C)))
                        (i32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))) (i32.load (local.get $from)))
                        (local.set $from (i32.add (local.get $from) (local.get $cStride)))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (br $cLoop)))))))
              (local.set $dst (i32.add (local.get $dst) (local.get $runBytes)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $kwLoop)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop))))

  ;; Adds the columns of samples [b0, b1) (rows (b, oh, ow) of (kh, kw, c) as im2colRows lays
  ;; them out) back onto their input positions in dx.
  (func (export "col2im")
    (param $cols i32) (param $dx i32) (param $b0 i32) (param $b1 i32)
    (param $OH i32) (param $OW i32) (param $H i32) (param $W i32) (param $C i32)
    (param $FH i32) (param $FW i32) (param $SH i32) (param $SW i32) (param $DH i32) (param $DW i32)
    (param $top i32) (param $left i32)
    (param $sB i32) (param $sH i32) (param $sW i32) (param $sC i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32) (local $c i32)
    (local $h i32) (local $w i32) (local $to i32) (local $from i32) (local $runBytes i32) (local $cStride i32)
    (local.set $runBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $cStride (i32.shl (local.get $sC) (i32.const 2)))
    (local.set $b (local.get $b0))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $b1)))
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
            (block $kwDone (loop $kwLoop
              (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $FW)))
              (local.set $w (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $SW)) (i32.mul (local.get $kw) (local.get $DW))) (local.get $left)))
              (if (i32.eqz (i32.or (i32.ge_u (local.get $h) (local.get $H)) (i32.ge_u (local.get $w) (local.get $W))))
                (then
                  (local.set $to (i32.add (local.get $dx) (i32.shl
                    (i32.add (i32.add (i32.mul (local.get $b) (local.get $sB)) (i32.mul (local.get $h) (local.get $sH)))
                      (i32.mul (local.get $w) (local.get $sW)))
                    (i32.const 2))))
                  (if (i32.eq (local.get $sC) (i32.const 1))
                    (then (call $addRun (local.get $to) (local.get $cols) (local.get $C)))
                    (else
                      (local.set $from (local.get $cols))
                      (local.set $c (i32.const 0))
                      (block $cDone (loop $cLoop
                        (br_if $cDone (i32.ge_u (local.get $c) (local.get $C)))
                        (f32.store (local.get $to) (f32.add (f32.load (local.get $to)) (f32.load (local.get $from))))
                        (local.set $to (i32.add (local.get $to) (local.get $cStride)))
                        (local.set $from (i32.add (local.get $from) (i32.const 4)))
                        (local.set $c (i32.add (local.get $c) (i32.const 1)))
                        (br $cLoop)))))))
              (local.set $cols (i32.add (local.get $cols) (local.get $runBytes)))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $kwLoop)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop))))

;; Max pooling's gradient on NHWC data: dx is zeroed, then each window's gradient goes, per
  ;; channel, to the window's first tap equal to the pooled maximum y (the first maximum in scan
  ;; order, where tfjs's CPU backend routes it). Four channels at a time: a mask of the channels
  ;; already served keeps later equal taps out. FH and FW are the effective (dilated) window
  ;; sizes; DH and DW step through them.
  (func (export "maxPoolGrad")
    (param $dx i32) (param $x i32) (param $y i32) (param $dy i32)
    (param $B i32) (param $H i32) (param $W i32) (param $C i32) (param $OH i32) (param $OW i32)
    (param $FH i32) (param $FW i32) (param $SH i32) (param $SW i32) (param $DH i32) (param $DW i32)
    (param $top i32) (param $left i32)
    (local $b i32) (local $oh i32) (local $ow i32) (local $c i32) (local $kh i32) (local $kw i32)
    (local $h i32) (local $w i32) (local $h0 i32) (local $w0 i32) (local $p i32) (local $win i32)
    (local $wide i32) (local $step i32)
    (local $max v128) (local $grad v128) (local $served v128) (local $hit v128)
    (memory.fill (local.get $dx) (i32.const 0)
      (i32.shl (i32.mul (i32.mul (i32.mul (local.get $B) (local.get $H)) (local.get $W)) (local.get $C)) (i32.const 2)))
    ;; channels [0, wide) go four at a time, the rest one at a time
    (local.set $wide (i32.and (local.get $C) (i32.const -4)))
    (block $bDone (loop $bLoop
      (br_if $bDone (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $oh (i32.const 0))
      (block $ohDone (loop $ohLoop
        (br_if $ohDone (i32.ge_u (local.get $oh) (local.get $OH)))
        (local.set $h0 (i32.sub (i32.mul (local.get $oh) (local.get $SH)) (local.get $top)))
        (local.set $ow (i32.const 0))
        (block $owDone (loop $owLoop
          (br_if $owDone (i32.ge_u (local.get $ow) (local.get $OW)))
          (local.set $w0 (i32.sub (i32.mul (local.get $ow) (local.get $SW)) (local.get $left)))
          ;; byte offset of y[b, oh, ow, 0] (and of dy's)
          (local.set $win (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $OH)) (local.get $oh)) (local.get $OW)) (local.get $ow)) (local.get $C)) (i32.const 2)))
          (local.set $c (i32.const 0))
          (block $cDone (loop $cLoop
            (br_if $cDone (i32.ge_u (local.get $c) (local.get $C)))
            (local.set $step (select (i32.const 4) (i32.const 1) (i32.lt_u (local.get $c) (local.get $wide))))
            (if (i32.eq (local.get $step) (i32.const 4))
              (then
                (local.set $max (v128.load (i32.add (local.get $y) (i32.add (local.get $win) (i32.shl (local.get $c) (i32.const 2))))))
                (local.set $grad (v128.load (i32.add (local.get $dy) (i32.add (local.get $win) (i32.shl (local.get $c) (i32.const 2)))))))
              (else
                (local.set $max (f32x4.splat (f32.load (i32.add (local.get $y) (i32.add (local.get $win) (i32.shl (local.get $c) (i32.const 2)))))))
                (local.set $grad (f32x4.splat (f32.load (i32.add (local.get $dy) (i32.add (local.get $win) (i32.shl (local.get $c) (i32.const 2)))))))))
            (local.set $served (v128.const i32x4 0 0 0 0))
            (local.set $kh (i32.const 0))
            (block $khDone (loop $khLoop
              (br_if $khDone (i32.ge_u (local.get $kh) (local.get $FH)))
              (local.set $h (i32.add (local.get $h0) (local.get $kh)))
              (if (i32.lt_u (local.get $h) (local.get $H))
                (then
                  (local.set $kw (i32.const 0))
                  (block $kwDone (loop $kwLoop
                    (br_if $kwDone (i32.ge_u (local.get $kw) (local.get $FW)))
                    (local.set $w (i32.add (local.get $w0) (local.get $kw)))
                    (if (i32.lt_u (local.get $w) (local.get $W))
                      (then
                        ;; p = byte offset of x[b, h, w, c]
                        (local.set $p (i32.shl
                          (i32.add (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $W)) (local.get $w)) (local.get $C)) (local.get $c))
                          (i32.const 2)))
                        (if (i32.eq (local.get $step) (i32.const 4))
                          (then
                            (local.set $hit (v128.andnot
                              (f32x4.eq (v128.load (i32.add (local.get $x) (local.get $p))) (local.get $max))
                              (local.get $served)))
                            (local.set $p (i32.add (local.get $dx) (local.get $p)))
                            (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.and (local.get $grad) (local.get $hit)))))
                          (else
                            (local.set $hit (v128.andnot
                              (f32x4.eq (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $p)))) (local.get $max))
                              (local.get $served)))
                            (local.set $p (i32.add (local.get $dx) (local.get $p)))
                            (f32.store (local.get $p) (f32.add (f32.load (local.get $p))
                              (f32x4.extract_lane 0 (v128.and (local.get $grad) (local.get $hit)))))))
                        (local.set $served (v128.or (local.get $served) (local.get $hit)))))
                    (local.set $kw (i32.add (local.get $kw) (local.get $DW)))
                    (br $kwLoop)))))
              (local.set $kh (i32.add (local.get $kh) (local.get $DH)))
              (br $khLoop)))
            (local.set $c (i32.add (local.get $c) (local.get $step)))
            (br $cLoop)))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $owLoop)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $ohLoop)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bLoop)))))

;; The matrix product of the WASM training kernels (wasmGemm.ts): C (+)= A · B on the tfjs WASM
;; backend's own memory, with A read through strides (so a transposed A, e.g. a patch matrix in
;; a convolution's filter gradient, needs no copy) and B's rows contiguous. Faster than the
;; backend's XNNPACK product for the shapes of training: 4 × 8 register tiles, k in chunks that
;; stay in the cache, and fused multiply-adds (relaxed SIMD) where the engine has them.
;;
;; Written with f32x4.relaxed_madd; scripts/buildHeapLoops.mjs also builds a plain-SIMD variant
;; (each madd as a mul and an add) for engines without relaxed SIMD. Pointers are byte addresses
;; in the backend's heap, strides are in bytes, counts in floats.
(module
  (import "env" "memory" (memory 1))

  ;; C[M, N] (+)= A · B. A(m, k) at a + m·sAm + k·sAk; B's row k at b + k·sBk (its n contiguous);
  ;; C's row m at c + m·ldc. add = 1 adds the product to C, 0 overwrites C.
  (func (export "gemm") (param $c i32) (param $a i32) (param $b i32) (param $M i32) (param $K i32) (param $N i32)
    (param $sAm i32) (param $sAk i32) (param $sBk i32) (param $ldc i32) (param $add i32)
    (local $k0 i32) (local $kn i32)
    (if (i32.eqz (local.get $K))
      (then
        (if (i32.eqz (local.get $add)) (then (call $zero (local.get $c) (local.get $M) (local.get $N) (local.get $ldc))))
        (return)))
    ;; k in chunks of 512: a chunk's rows of B stay in the L2 cache while every row block of A
    ;; passes over them (one pass over all of k reads B from memory once per row block).
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $k0) (local.get $K)))
        (local.set $kn (i32.sub (local.get $K) (local.get $k0)))
        (local.set $kn (select (i32.const 512) (local.get $kn) (i32.gt_u (local.get $kn) (i32.const 512))))
        (call $gemmChunk
          (local.get $c)
          (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $sAk)))
          (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $sBk)))
          (local.get $M) (local.get $kn) (local.get $N)
          (local.get $sAm) (local.get $sAk) (local.get $sBk) (local.get $ldc)
          (i32.or (local.get $add) (i32.ne (local.get $k0) (i32.const 0))))
        (local.set $k0 (i32.add (local.get $k0) (local.get $kn)))
        (br $chunks))))

  ;; One k chunk (K > 0): 4 rows × 8 columns of C in eight registers at a time. Rows past M
  ;; read and write the last row again (the same values); nothing past column N is read or
  ;; written, in B or C.
  (func $gemmChunk (param $c i32) (param $a i32) (param $b0 i32) (param $M i32) (param $K i32) (param $N i32)
    (param $sAm i32) (param $sAk i32) (param $sBk i32) (param $ldc i32) (param $add i32)
    (local $m i32) (local $n i32) (local $left i32) (local $o i32) (local $b i32) (local $i i32) (local $kEnd i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $x00 v128) (local $x01 v128) (local $x10 v128) (local $x11 v128)
    (local $x20 v128) (local $x21 v128) (local $x30 v128) (local $x31 v128)
    (local $v0 v128) (local $v1 v128) (local $va v128)
    (local.set $kEnd (i32.mul (local.get $K) (local.get $sAk)))
    (block $mDone
      (loop $rowBlocks
        (br_if $mDone (i32.ge_u (local.get $m) (local.get $M)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $sAm))))
        (local.set $c0 (i32.add (local.get $c) (i32.mul (local.get $m) (local.get $ldc))))
        (local.set $left (i32.sub (local.get $M) (local.get $m)))
        (local.set $a1 (select (i32.add (local.get $a0) (local.get $sAm)) (local.get $a0) (i32.gt_u (local.get $left) (i32.const 1))))
        (local.set $c1 (select (i32.add (local.get $c0) (local.get $ldc)) (local.get $c0) (i32.gt_u (local.get $left) (i32.const 1))))
        (local.set $a2 (select (i32.add (local.get $a1) (local.get $sAm)) (local.get $a1) (i32.gt_u (local.get $left) (i32.const 2))))
        (local.set $c2 (select (i32.add (local.get $c1) (local.get $ldc)) (local.get $c1) (i32.gt_u (local.get $left) (i32.const 2))))
        (local.set $a3 (select (i32.add (local.get $a2) (local.get $sAm)) (local.get $a2) (i32.gt_u (local.get $left) (i32.const 3))))
        (local.set $c3 (select (i32.add (local.get $c2) (local.get $ldc)) (local.get $c2) (i32.gt_u (local.get $left) (i32.const 3))))
        (local.set $n (i32.const 0))
        (block $nDone
          (loop $columnBlocks
            (br_if $nDone (i32.ge_u (local.get $n) (local.get $N)))
            (local.set $o (i32.shl (local.get $n) (i32.const 2)))
            (local.set $left (i32.sub (local.get $N) (local.get $n)))
            (if (local.get $add)
              (then
                (local.set $x00 (call $load8lo (i32.add (local.get $c0) (local.get $o)) (local.get $left)))
                (local.set $x01 (call $load8hi (i32.add (local.get $c0) (local.get $o)) (local.get $left)))
                (local.set $x10 (call $load8lo (i32.add (local.get $c1) (local.get $o)) (local.get $left)))
                (local.set $x11 (call $load8hi (i32.add (local.get $c1) (local.get $o)) (local.get $left)))
                (local.set $x20 (call $load8lo (i32.add (local.get $c2) (local.get $o)) (local.get $left)))
                (local.set $x21 (call $load8hi (i32.add (local.get $c2) (local.get $o)) (local.get $left)))
                (local.set $x30 (call $load8lo (i32.add (local.get $c3) (local.get $o)) (local.get $left)))
                (local.set $x31 (call $load8hi (i32.add (local.get $c3) (local.get $o)) (local.get $left))))
              (else
                (local.set $x00 (v128.const i32x4 0 0 0 0))
                (local.set $x01 (v128.const i32x4 0 0 0 0))
                (local.set $x10 (v128.const i32x4 0 0 0 0))
                (local.set $x11 (v128.const i32x4 0 0 0 0))
                (local.set $x20 (v128.const i32x4 0 0 0 0))
                (local.set $x21 (v128.const i32x4 0 0 0 0))
                (local.set $x30 (v128.const i32x4 0 0 0 0))
                (local.set $x31 (v128.const i32x4 0 0 0 0))))
            (local.set $b (i32.add (local.get $b0) (local.get $o)))
            (local.set $i (i32.const 0))
            (if (i32.ge_u (local.get $left) (i32.const 8))
              (then
                (loop $k
                  (local.set $v0 (v128.load (local.get $b)))
                  (local.set $v1 (v128.load offset=16 (local.get $b)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a0) (local.get $i))))
                  (local.set $x00 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x00)))
                  (local.set $x01 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x01)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a1) (local.get $i))))
                  (local.set $x10 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x10)))
                  (local.set $x11 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x11)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a2) (local.get $i))))
                  (local.set $x20 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x20)))
                  (local.set $x21 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x21)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a3) (local.get $i))))
                  (local.set $x30 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x30)))
                  (local.set $x31 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x31)))
                  (local.set $b (i32.add (local.get $b) (local.get $sBk)))
                  (br_if $k (i32.lt_u (local.tee $i (i32.add (local.get $i) (local.get $sAk))) (local.get $kEnd)))))
              (else
                ;; The last, narrower block reads only B's columns that exist.
                (loop $kTail
                  (local.set $v0 (call $load8lo (local.get $b) (local.get $left)))
                  (local.set $v1 (call $load8hi (local.get $b) (local.get $left)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a0) (local.get $i))))
                  (local.set $x00 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x00)))
                  (local.set $x01 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x01)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a1) (local.get $i))))
                  (local.set $x10 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x10)))
                  (local.set $x11 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x11)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a2) (local.get $i))))
                  (local.set $x20 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x20)))
                  (local.set $x21 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x21)))
                  (local.set $va (v128.load32_splat (i32.add (local.get $a3) (local.get $i))))
                  (local.set $x30 (f32x4.relaxed_madd (local.get $va) (local.get $v0) (local.get $x30)))
                  (local.set $x31 (f32x4.relaxed_madd (local.get $va) (local.get $v1) (local.get $x31)))
                  (local.set $b (i32.add (local.get $b) (local.get $sBk)))
                  (br_if $kTail (i32.lt_u (local.tee $i (i32.add (local.get $i) (local.get $sAk))) (local.get $kEnd))))))
            ;; Last row first: rows past M alias the last row, which then gets its own values last.
            (call $store8 (i32.add (local.get $c3) (local.get $o)) (local.get $x30) (local.get $x31) (local.get $left))
            (call $store8 (i32.add (local.get $c2) (local.get $o)) (local.get $x20) (local.get $x21) (local.get $left))
            (call $store8 (i32.add (local.get $c1) (local.get $o)) (local.get $x10) (local.get $x11) (local.get $left))
            (call $store8 (i32.add (local.get $c0) (local.get $o)) (local.get $x00) (local.get $x01) (local.get $left))
            (local.set $n (i32.add (local.get $n) (i32.const 8)))
            (br $columnBlocks)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $rowBlocks))))

  ;; Floats 0..3 of the eight at src, of which the first `count` exist (zeros for the others).
  (func $load8lo (param $src i32) (param $count i32) (result v128)
    (call $loadUpTo4 (local.get $src) (local.get $count)))

  ;; Floats 4..7 of the eight at src, of which the first `count` exist.
  (func $load8hi (param $src i32) (param $count i32) (result v128)
    (call $loadUpTo4 (i32.add (local.get $src) (i32.const 16)) (i32.sub (local.get $count) (i32.const 4))))

  ;; Four floats at src of which the first `count` exist (count may be <= 0 or > 4).
  (func $loadUpTo4 (param $src i32) (param $count i32) (result v128)
    (if (i32.ge_s (local.get $count) (i32.const 4)) (then (return (v128.load (local.get $src)))))
    (if (i32.le_s (local.get $count) (i32.const 0)) (then (return (v128.const i32x4 0 0 0 0))))
    (if (i32.eq (local.get $count) (i32.const 1)) (then (return (v128.load32_zero (local.get $src)))))
    (if (i32.eq (local.get $count) (i32.const 2)) (then (return (v128.load64_zero (local.get $src)))))
    (v128.load32_lane 2 (i32.add (local.get $src) (i32.const 8)) (v128.load64_zero (local.get $src))))

  ;; The first min(count, 8) floats of lo:hi to dst.
  (func $store8 (param $dst i32) (param $lo v128) (param $hi v128) (param $count i32)
    (if (i32.ge_u (local.get $count) (i32.const 8))
      (then
        (v128.store (local.get $dst) (local.get $lo))
        (v128.store offset=16 (local.get $dst) (local.get $hi))
        (return)))
    (if (i32.ge_u (local.get $count) (i32.const 4))
      (then
        (v128.store (local.get $dst) (local.get $lo))
        (local.set $lo (local.get $hi))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const 4)))))
    (if (i32.ge_u (local.get $count) (i32.const 2))
      (then
        (v128.store64_lane 0 (local.get $dst) (local.get $lo))
        (local.set $lo (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $lo) (local.get $lo)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
        (local.set $count (i32.sub (local.get $count) (i32.const 2)))))
    (if (local.get $count) (then (v128.store32_lane 0 (local.get $dst) (local.get $lo)))))

  ;; C[M, N] = 0, rows ldc bytes apart.
  (func $zero (param $c i32) (param $M i32) (param $N i32) (param $ldc i32)
    (local $m i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $m) (local.get $M)))
        (memory.fill (i32.add (local.get $c) (i32.mul (local.get $m) (local.get $ldc))) (i32.const 0) (i32.shl (local.get $N) (i32.const 2)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $rows)))))

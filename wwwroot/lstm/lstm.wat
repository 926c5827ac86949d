;; The in-browser sampler's arithmetic: matrix-vector products with 128-bit SIMD, and the LSTM cell update.
;; Every operation and its order mirror CharRnn.Inference (MatVec.MultiplyAddPortable, LstmEngine.UpdateCell,
;; PortableMath), so the browser computes the same bits as the server and a seed draws the same text.
;; No fused multiply-adds anywhere. Build: wat2wasm lstm.wat -o lstm.wasm (wabt 1.0.32, Debian 12's `wabt` package).
;; All pointers are byte offsets into the memory, which the caller grows and fills (weights once, state per step).
(module
  (memory (export "memory") 1)

  ;; y[r] += M[r]·x for r < rows; M row-major (rows × cols). Accumulator j sums columns 16i+4j … 16i+4j+3 lane by lane
  ;; (multiply, then add); then (a0 + a1) + (a2 + a3); its lanes as (l0 + l1) + (l2 + l3); then the tail columns in order.
  (func (export "matvec") (param $m i32) (param $x i32) (param $y i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $c i32) (local $row i32) (local $blocked i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $sum f32)
    (local.set $blocked (i32.and (local.get $cols) (i32.const -16)))
    (local.set $row (local.get $m))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $a0 (v128.const f32x4 0 0 0 0))
        (local.set $a1 (v128.const f32x4 0 0 0 0))
        (local.set $a2 (v128.const f32x4 0 0 0 0))
        (local.set $a3 (v128.const f32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (block $blocks_done
          (loop $each_block
            (br_if $blocks_done (i32.ge_u (local.get $c) (local.get $blocked)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))
              (v128.load (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul
              (v128.load offset=16 (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))
              (v128.load offset=16 (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
              (v128.load offset=32 (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))
              (v128.load offset=32 (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
              (v128.load offset=48 (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))
              (v128.load offset=48 (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $each_block)))
        (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
        (local.set $sum (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
          (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (block $tail_done
          (loop $each_tail
            (br_if $tail_done (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $sum (f32.add (local.get $sum) (f32.mul
              (f32.load (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 2))))
              (f32.load (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2)))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $each_tail)))
        (f32.store (local.get $y) (f32.add (f32.load (local.get $y)) (local.get $sum)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; dst[i] += src[i] for i < n (layer 0's one-hot input: a row of the transposed input weights).
  (func (export "add") (param $dst i32) (param $src i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $each))))

  ;; PortableMath.Exp: x = k·ln 2 + r, e^r by the Taylor series to r^12 (Horner), times 2^k built from its bits.
  (func $exp (param $x f64) (result f64)
    (local $k f64) (local $r f64) (local $p f64)
    (if (f64.gt (local.get $x) (f64.const 700)) (then (return (f64.const inf))))
    (if (f64.lt (local.get $x) (f64.const -700)) (then (return (f64.const 0))))
    (local.set $k (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 0.693145751953125)))
                           (f64.mul (local.get $k) (f64.const 1.4286068203094172321e-6))))
    (local.set $p (f64.div (f64.const 1) (f64.const 479001600)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 39916800))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 3628800))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 362880))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 40320))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 5040))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 720))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 120))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 24))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.div (f64.const 1) (f64.const 6))))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 0.5)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1)))
    (local.set $p (f64.add (f64.mul (local.get $p) (local.get $r)) (f64.const 1)))
    (f64.mul (local.get $p)
      (f64.reinterpret_i64 (i64.shl (i64.trunc_f64_s (f64.add (local.get $k) (f64.const 1023))) (i64.const 52)))))

  (func $sigmoid (param $x f32) (result f32)
    (f32.demote_f64 (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.promote_f32 (local.get $x))))))))

  (func $tanh (param $x f32) (result f32)
    (local $e f64) (local $t f64)
    (local.set $e (call $exp (f64.mul (f64.const -2) (f64.abs (f64.promote_f32 (local.get $x))))))
    (local.set $t (f64.div (f64.sub (f64.const 1) (local.get $e)) (f64.add (f64.const 1) (local.get $e))))
    (f32.demote_f64 (select (f64.neg (local.get $t)) (local.get $t) (f32.lt (local.get $x) (f32.const 0)))))

  ;; LstmEngine.UpdateCell: gates = [i; f; g; o] (4·hidden); c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c');
  ;; the gates are left activated: σ(i), σ(f), tanh(g), σ(o).
  (func (export "cell") (param $gates i32) (param $h i32) (param $c i32) (param $hidden i32)
    (local $j i32) (local $stride i32) (local $at i32)
    (local $input f32) (local $forget f32) (local $candidate f32) (local $output f32) (local $cell f32)
    (local.set $stride (i32.shl (local.get $hidden) (i32.const 2)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $hidden)))
        (local.set $at (i32.add (local.get $gates) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $input (call $sigmoid (f32.load (local.get $at))))
        (local.set $forget (call $sigmoid (f32.load (i32.add (local.get $at) (local.get $stride)))))
        (local.set $candidate (call $tanh (f32.load (i32.add (local.get $at) (i32.shl (local.get $stride) (i32.const 1))))))
        (local.set $output (call $sigmoid (f32.load (i32.add (local.get $at) (i32.mul (local.get $stride) (i32.const 3))))))
        ;; The activated gates replace the pre-activations, for the Inside page to read.
        (f32.store (local.get $at) (local.get $input))
        (f32.store (i32.add (local.get $at) (local.get $stride)) (local.get $forget))
        (f32.store (i32.add (local.get $at) (i32.shl (local.get $stride) (i32.const 1))) (local.get $candidate))
        (f32.store (i32.add (local.get $at) (i32.mul (local.get $stride) (i32.const 3))) (local.get $output))
        (local.set $cell (f32.add (f32.mul (local.get $forget) (f32.load (local.get $c))) (f32.mul (local.get $input) (local.get $candidate))))
        (f32.store (local.get $c) (local.get $cell))
        (f32.store (local.get $h) (f32.mul (local.get $output) (call $tanh (local.get $cell))))
        (local.set $h (i32.add (local.get $h) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $each))))
)

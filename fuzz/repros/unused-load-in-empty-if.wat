;; Found by differential execution. -O2 returns; -O0 and V8 trap "out of bounds":
;; the load feeds only an empty `if`, so it is deleted with its trap.
(module
  (memory (export "mem") 1)
  (global (export "fuel") (mut i32) (i32.const 0))
  (func (export "f0")
    i32.const 65528
    i32.load16_u offset=8
    if
    end))

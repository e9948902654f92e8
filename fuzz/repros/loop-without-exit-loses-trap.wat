;; Found by differential execution. -O0 and V8 trap "out of bounds" on the first
;; iteration (fuel 299 after it); -O2 compiles the loop to `br label %loop`
;; (memory(none)): the store and the global write are gone and it spins until
;; interrupted.
(module
  (memory (export "mem") 1)
  (global (export "fuel") (mut i32) (i32.const 0))
  (func (export "f0")
    loop
      global.get 0
      i32.const 1
      i32.sub
      global.set 0
      i32.const 65535
      i32.const 1
      i32.store16
      i32.const 1
      br_if 0
    end))

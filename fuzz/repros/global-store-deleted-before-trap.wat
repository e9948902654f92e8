;; Found by differential execution. After the trap g0 must be 1 (-O0, V8); -O2
;; leaves 0: the first global.set is deleted as overwritten by the second,
;; which the trap prevents.
(module
  (memory (export "mem") 1)
  (global (export "fuel") (mut i32) (i32.const 0))
  (global (export "g0") (mut i32) (i32.const 0))
  (func (export "f0")
    i32.const 1
    global.set 1
    i32.const 8
    i32.const 65536
    i32.load        ;; traps: g0 must stay 1
    i32.store
    i32.const 2
    global.set 1))

;; Found by differential execution. After the trap memory[16] must be 1 (-O0,
;; V8); at -O2 it is 0: the first store is deleted as overwritten by the
;; third, which the trap prevents. (Merging adjacent stores into one that
;; straddles the end of memory loses stores the same way.)
(module
  (memory (export "mem") 1)
  (global (export "fuel") (mut i32) (i32.const 0))
  (func (export "f0")
    i32.const 16
    i32.const 1
    i32.store
    i32.const 8
    i32.const 65536
    i32.load        ;; traps: memory[16] must be 1
    i32.store
    i32.const 16
    i32.const 2
    i32.store))

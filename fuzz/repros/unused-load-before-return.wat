;; Found by differential execution. -O0 and -O2 return 255; V8 traps "out of
;; bounds": the loaded value is discarded by `return`, and the load with it.
(module
  (memory (export "mem") 1)
  (global (export "fuel") (mut i32) (i32.const 0))
  (func (export "f0") (result i32)
    i32.const 65536
    i64.load16_u
    i32.const 255
    return))

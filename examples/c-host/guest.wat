;; Greets through the host's print and multiplies through its mul.
(module
  (import "env" "print" (func $print (param i32 i32)))
  (import "env" "mul" (func $mul (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hello from the guest")
  (func (export "run") (param i32) (result i32)
    (call $print (i32.const 100) (i32.const 20))
    ;; Out of bounds on purpose: the host refuses it.
    (call $print (i32.const 65530) (i32.const 100))
    (call $mul (local.get 0) (i32.const 6))))

;; lucet-spectest's own check (see CMakeLists.txt): an instance imports
;; another's memory, table, global and function, and two assertions are
;; wrong on purpose. Expected: 14 passed, 2 failed, 0 not applicable.
(module $M
  (memory (export "mem") 1 2)
  (table (export "tab") 2 funcref)
  (global (export "g") (mut i32) (i32.const 7))
  (func $f (export "f") (result i32) (i32.const 42))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (elem (i32.const 0) $f))
(register "M" $M)
(module $N
  (import "M" "mem" (memory 1))
  (import "M" "tab" (table 2 funcref))
  (import "M" "g" (global (mut i32)))
  (import "M" "f" (func $mf (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (type $t (func (result i32)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "set_g") (param i32) (global.set 0 (local.get 0)))
  (func (export "call0") (result i32) (call_indirect (type $t) (i32.const 0)))
  (func (export "callf") (result i32) (call $mf)))
;; Growing through the importer is seen by the exporter.
(assert_return (invoke $N "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $M "grow" (i32.const 0)) (i32.const 2))
(invoke $N "store" (i32.const 65536) (i32.const 5))
(assert_return (invoke $M "load" (i32.const 65536)) (i32.const 5))
(invoke $N "set_g" (i32.const 9))
(assert_return (get $M "g") (i32.const 9))
(assert_return (invoke $N "call0") (i32.const 42))
;; The memory has 2 pages now, short of the 3 this import asks for.
(assert_unlinkable (module (import "M" "mem" (memory 3))) "incompatible import type")
;; Wrong on purpose: must be reported as failures.
(assert_return (invoke $N "callf") (i32.const 43))
(assert_trap (invoke $M "load" (i32.const 131072)) "integer divide by zero")
(assert_malformed (module quote "(func") "unexpected end")
(assert_trap (invoke $M "load" (i32.const 131072)) "out of bounds memory access")
(assert_trap
  (module (import "M" "tab" (table 1 funcref)) (func $h) (elem (i32.const 1) $h $h))
  "out of bounds table access")

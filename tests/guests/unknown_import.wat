;; A module importing a function no host defines: instantiation must be
;; refused with an error naming the import, before anything runs.
(module
  (import "env" "no_such_function" (func $missing (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    i32.const 1
    call $missing))

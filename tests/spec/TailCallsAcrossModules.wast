;; Tail calls between instances: into a module without tail calls (its
;; functions keep the C convention and get tailcc entries), through an
;; imported function, a shared table and a function reference, and mutual
;; recursion across two modules a million calls deep in constant stack.

(module $A
  (table (export "tab") 4 funcref)
  (func $count (export "count") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (i64.add (i64.const 1) (call $count (i64.sub (local.get 0) (i64.const 1)))))))
  (elem (i32.const 0) $count))
(register "A" $A)

(module $B
  (import "A" "count" (func $count (param i64) (result i64)))
  (import "A" "tab" (table 4 funcref))
  (type $t (func (param i64) (result i64)))
  (elem declare func $count)
  (func $even (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 2)))))
  (elem (i32.const 1) $even)
  (func (export "direct") (param i64) (result i64) (return_call $count (local.get 0)))
  (func (export "indirect") (param i64) (result i64)
    (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
  (func (export "by_ref") (param i64) (result i64) (return_call_ref $t (local.get 0) (ref.func $count)))
  (func (export "even") (param i64) (result i64) (return_call $even (local.get 0))))

(module $C
  (import "A" "tab" (table 4 funcref))
  (type $t (func (param i64) (result i64)))
  (func $odd (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 0))
      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
  (elem (i32.const 2) $odd))

(assert_return (invoke $B "direct" (i64.const 100)) (i64.const 100))
(assert_return (invoke $B "indirect" (i64.const 7)) (i64.const 7))
(assert_return (invoke $B "by_ref" (i64.const 9)) (i64.const 9))
(assert_return (invoke $B "even" (i64.const 1000000)) (i64.const 1))
(assert_return (invoke $B "even" (i64.const 1000001)) (i64.const 0))

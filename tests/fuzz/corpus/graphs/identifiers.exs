café = 1
ñandú(1)
_ = 2
_unused = 3
__MODULE__
__ENV__.file
foo?
bar!
foo?(1)
a_b_c1

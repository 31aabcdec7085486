case x do
  1 -> :a
  :b
  2 -> :c
end
?

if true do
  1
else
  2
else
  3
end
1.e5
@foo @bar

1
1_000_000
0x1F
0o777
0b1010
123456789012345678901234567890
-123456789012345678901234567890
0xFFFFFFFFFFFFFFFFFFFFFFFF
1.0
1.5e10
1.0e-10
3.14159
1_000.000_1
?a
?\n
?\\
?é
:atom
:"quoted atom"
:"with #{interp}"
:'single'
:+
:..
:...
:<<>>
:%{}
:%
:{}
:"foo.bar"
:foo?
:bar!
true
false
nil
"string"
"with #{interp} inside"
"escapes \n \t \" \\ \x41 \u00e9 \u{1F600}"
'charlist'
'with #{interp}'
"""
heredoc
  indented
"""
'''
charlist heredoc
'''
~s(sigil)
~S(raw #{no})
~r/regex/i
~w[a b c]a
~c"charlist"
~D[2020-01-01]
~s"""
heredoc sigil
"""
[1, 2, 3]
[a: 1, b: 2]
[1, a: 2]
[1, 2,]
{1, 2}
{1, 2, 3}
{}
{1}
{1, a: 1}
<<1, 2>>
<<a::binary-size(4), rest::bits>>
%{}
%{a: 1}
%{"a" => 1, b: 2}
%{map | a: 1}
%{map | "a" => 1}
%Foo{a: 1}
%Foo.Bar{}
%__MODULE__{}
%@foo{}
%^a{}
%struct{}
%{a}
"é unicode ñ"
x = "multi
line"

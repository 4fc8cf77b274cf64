q = x + y
f = q * z
dq += z

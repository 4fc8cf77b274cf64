q = x + y
f = q * z
dz = q
dx = dq * 1

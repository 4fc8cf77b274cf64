y = x * 3
dy = 3
dz += dy

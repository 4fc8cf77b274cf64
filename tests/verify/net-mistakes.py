# net.py with four mistakes, each found where it is made.
x = [1, -2, 3]
W1 = [[1, 0, -1], [2, 1, 0], [-1, 1, 1], [0, -2, 1]]
b1 = [0.5, -1, 0.25, 2]
W2 = [[0.5, -0.5, 1, 0], [0, 0.5, -0.5, 0.5]]
b2 = [0.1, -0.2]
y = 1
z = W1 @ x + b1
h = max(0, z)           # the relu gate
s = W2 @ h + b2
p = softmax(s)
L = -np.log(p[y])       # cross-entropy

dL = 1
ds = p - onehot(y, 2)   # the softmax gradient: p, minus 1 at the class
dW2 = outer(h, ds)     # transposed
db2 = ds
dh = W2 @ ds           # a transpose missing
dz = dh                # the relu gate forgotten
dW1 = outer(dz, x)
db1 = dz
dx = -(W1.T @ dz)      # a sign error

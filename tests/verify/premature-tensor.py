# da is read (by dW) before its branch through b is added: premature.
x = [1, -2]
W = [[1, 2], [3, 4]]
a = W @ x
b = a * a
L = sum(b) + sum(a)
dL = 1
db = ones(2)
da = ones(2)
dW = outer(da, x)
da += 2 * a * db
dx = W.T @ da

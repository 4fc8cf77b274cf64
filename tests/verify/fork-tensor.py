# x feeds two gates, a matrix product and a square: its gradients add
# at the fork, as for scalars.
x = [1, -2, 3]
W = [[1, 0, 2], [-1, 1, 0]]
a = W @ x
q = x * x
L = sum(a * a) + sum(q)

dL = 1
da = 2 * a
dq = ones(3)
dW = outer(da, x)
dx = W.T @ da
dx += 2 * x * dq

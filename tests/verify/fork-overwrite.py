# fork-tensor.py with "=" where "+=" is meant: the first branch is thrown
# away.
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
dx = 2 * x * dq        # '=' where '+=' is meant

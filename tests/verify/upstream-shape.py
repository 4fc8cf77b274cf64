# The gradient from above must have the output's shape.
W = [[1, 2], [0, 1]]
x = [1, -1]
D = W @ x
dD = [1, 1, 1]
dW = outer(dD, x)

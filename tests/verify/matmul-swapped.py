# The seeds' D = W.dot(X) with the two classic mistakes of the matrix
# product: dimension analysis says which way round they go.
W = [[1, 2, 0], [-1, 0, 3]]
X = [[2, -1], [0, 1], [1, 1]]
D = W @ X

dD = [[1, -2], [0, 3]]
dW = X.T @ dD          # the operands swapped
dX = W @ dD            # a transpose missing

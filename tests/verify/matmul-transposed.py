# dW and dX, each the right numbers in the wrong shape or with one
# transpose too many.
W = [[1, 2, 0], [-1, 0, 3]]
X = [[2, -1], [0, 1], [1, 1]]
D = W @ X

dD = [[1, -2], [0, 3]]
dW = X @ dD.T          # dW transposed
dX = W.T.T @ dD        # one .T too many

# The seeds' matrix-matrix multiply gradient, as the notes write it
# (np.random.randn(5, 10) made small and exact):
# forward pass
W = [[1, 2, 0], [-1, 0, 3]]
X = [[2, -1], [0, 1], [1, 1]]
D = W.dot(X)

# now suppose we had the gradient on D from above in the circuit
dD = [[1, -2], [0, 3]] # same shape as D
dW = dD.dot(X.T) #.T gives the transpose of the matrix
dX = W.T.dot(dD)

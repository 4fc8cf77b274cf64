# A batch of three examples, the notes' scores = X.dot(W) + b: b is
# broadcast over the rows, so its gradient sums over them.
X = [[1, 2], [0, -1], [3, 1]]
W = [[1, -1, 0.5], [2, 0, -1]]
b = [0.1, 0.2, 0.3]
S = X.dot(W) + b
L = np.sum(S * S) / 2

dL = 1
dS = S
dW = X.T.dot(dS)
db = np.sum(dS, axis=0)
dX = dS.dot(W.T)

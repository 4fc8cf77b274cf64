# batch.py with the two mistakes of a broadcast layer.
X = [[1, 2], [0, -1], [3, 1]]
W = [[1, -1, 0.5], [2, 0, -1]]
b = [0.1, 0.2, 0.3]
S = X.dot(W) + b
L = np.sum(S * S) / 2

dL = 1
dS = S
dW = dS.dot(X)           # the shapes do not fit
db = dS                 # not summed back
dX = dS.dot(W.T)

# The seeds' D = W.dot(X) with W and X bound on the command line
# (W='[[1, 2, 0], [-1, 0, 3]]' X=@x.csv), and the gradient on D from
# above too (dD is the first line for D).
D = W.dot(X)
dD = [[1, -2], [0, 3]]
dW = dD.dot(X.T)
dX = W.T.dot(dD)

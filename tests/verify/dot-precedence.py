# NumPy's a.dot(b) binds as a postfix: a * b.dot(c) is a * (b @ c), and
# b.dot(c).T is (b @ c).T
a = [[2, 0], [0, 3]]
b = [[1, 2], [3, 4]]
c = [[0, 1], [1, 0]]
L = np.sum(a * b.dot(c).T)
dL = 1
db = a.T.dot(c.T)
dc = b.T.dot(a.T)
da = b.dot(c).T

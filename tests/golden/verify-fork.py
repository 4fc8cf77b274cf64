# a is a fork: b uses it, and p, so da is the sum of two branches
a = x * y
p = a * z
b = a + p
f = b * 2

df = 1.0
db = 2 * df
da = db            # the branch through b
dp = db
dx = da * y        # reads da before the branch through p is added
dy = da * x
da += dp * z

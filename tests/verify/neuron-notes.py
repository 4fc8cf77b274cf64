#Forward
s0 = w0 * x0
s1 = w1 * x1
s2 = s0 + s1
s3 = s2 + w2
L = sigmoid(s3)
#Backward
grad_L = 1.0
grad_s3 = grad_L * ( 1 - L) * L #sigmoid function has a special form of derivatives
grad_w2 = grad_s3 #gradient copier
grad_s2 = grad_s3 #gradient copier
grad_s0 = grad_s2 #gradient copier
grad_s1 = grad_s2 #gradient copier
grad_w1 = grad_s1 * x1 #gradient multiplier
grad_x1 = grad_s1 * w1 #gradient multiplier
grad_w0 = grad_s0 * x0 #gradient multiplier
grad_x0 = grad_w0 * w0 #gradient multiplier

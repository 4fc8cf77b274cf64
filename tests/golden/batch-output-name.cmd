printf 'w0\n1\n' | "$NABLA" --batch 'L = sigmoid(w0*2)'

"$NABLA" --verify ../verify/neuron-notes.py w0=2 x0=-1 w1=-3 x1=-2 w2=-3

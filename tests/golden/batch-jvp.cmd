"$NABLA" --batch --jvp w0=1 -f neuron.nb w0=2 x0=-1 w1=-3 x1=-2 batch-neuron.csv

"$NABLA" --batch --hvp w0=1,x0=1 --wrt w0,x0 -o table -f neuron.nb w0=2 x0=-1 w1=-3 x1=-2 batch-neuron.csv

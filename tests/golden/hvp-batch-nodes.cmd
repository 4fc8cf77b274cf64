"$NABLA" --batch --nodes --hvp x=1 'x*y' y=2 batch-neuron.csv

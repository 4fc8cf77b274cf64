"$NABLA" --batch --forward 'x*y' y=2 batch-neuron.csv

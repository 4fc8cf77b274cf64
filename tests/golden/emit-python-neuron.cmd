"$NABLA" --emit python -f neuron-flat.nb

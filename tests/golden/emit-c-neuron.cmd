"$NABLA" --emit c -f neuron-flat.nb

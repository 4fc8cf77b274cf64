"$NABLA" --symbolic -f neuron-flat.nb

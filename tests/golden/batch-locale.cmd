LC_ALL=de_DE.UTF-8 "$NABLA" --batch -o table 'x / 3' && LC_ALL=de_DE.UTF-8 "$NABLA" --batch 'x / 3' <batch-locale.in

"$NABLA" --strict 'x = 1/0; y = 1e308 * 10; x + y + z' z=1

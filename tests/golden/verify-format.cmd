"$NABLA" --verify ../verify/cs231n.py -o csv

"$NABLA" --verify ../verify/cs231n.py --check

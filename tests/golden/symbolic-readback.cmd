"$NABLA" --symbolic -f cs231n.nb > "$GOLDEN_TMP/d.nb" && echo df_dx >> "$GOLDEN_TMP/d.nb" && "$NABLA" -f "$GOLDEN_TMP/d.nb" --precision 17 | tail -3

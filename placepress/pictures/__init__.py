"""Pictures: the files editors put in content/images/, published for phones and screen readers.

model    the records (Picture, Variant) and the settings that shape the output
encode   one raster picture in, its published files out (Pillow): orientation applied, every
         metadata block dropped, a few widths as WebP and in the file's own format
svg      an SVG is published as it is, once it is known to hold no script or outside reference
library  every picture under content/images/, processed on both cores and cached under .cache/
html     the <picture> element a page shows, with srcset, sizes, width and height
"""

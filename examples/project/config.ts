/**
 * Sizes shared by the models in this folder. Change one and the lenses of every file that
 * imports it follow, before you save.
 */
export const IMAGE_SIZE = 28;
export const HIDDEN_UNITS = 128;
export const CLASSES = 10;

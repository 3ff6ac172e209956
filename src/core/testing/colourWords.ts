/** Colour words, which text must not use: the page's colours are theme variables, so a label is named by its words. */
export const COLOUR_WORDS = /\b(blue|green|orange|red|purple|yellow|grey|gray|pink|violet)\b/i;

// Model answers are rendered as text, never as HTML.
export function renderAnswer(el: { textContent: string | null }, answer: string) {
  el.textContent = answer;
}

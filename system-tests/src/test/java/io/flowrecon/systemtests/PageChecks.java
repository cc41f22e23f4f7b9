package io.flowrecon.systemtests;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import java.util.List;

/**
 * Accessibility basics checked on the page as the browser renders it (WCAG 2.1): every visible control has an
 * accessible name (success criterion 4.1.2), and visible text has a contrast of at least 4.5:1 against the
 * background it is drawn on, 3:1 for large text (1.4.3, with the relative luminance of its definitions).
 */
final class PageChecks {

    /** Returns one line per unnamed control, as tag#id or tag[name]. */
    private static final String UNNAMED_CONTROLS = """
            const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
            return [...document.querySelectorAll('input, select, textarea, button')]
              .filter((e) => e.type !== 'hidden' && visible(e))
              .filter((e) => !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label')
                && !e.getAttribute('aria-labelledby') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
              .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '[' + (e.name || '') + ']'));
            """;

    /** Returns one line per element whose own text falls short: its text, both colours and the ratio. */
    private static final String LOW_CONTRAST = """
            const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
            const luminance = ([r, g, b]) => {
              const c = [r, g, b].map((v) => v / 255).map((v) => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
              return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
            };
            const background = (e) => {
              for (let node = e; node; node = node.parentElement) {
                const c = rgba(getComputedStyle(node).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
              }
              return [255, 255, 255];
            };
            const problems = [];
            for (const e of document.querySelectorAll('body *')) {
              const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
              if (!own || e.getClientRects().length === 0 || e.closest('svg, option, [hidden]')) continue;
              const style = getComputedStyle(e);
              if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
              const fg = rgba(style.color).slice(0, 3);
              const bg = background(e);
              const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
              const ratio = (hi + 0.05) / (lo + 0.05);
              const size = parseFloat(style.fontSize);
              const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
              const needed = large ? 3 : 4.5;
              if (ratio < needed && !e.matches(':disabled, :disabled *')) {
                problems.push(`${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}": ${style.color} on rgb(${bg}) = ${ratio.toFixed(2)}:1 < ${needed}`);
              }
            }
            return problems;
            """;

    private PageChecks() {
    }

    @SuppressWarnings("unchecked")
    static List<String> unnamedControls(WebDriver driver) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(UNNAMED_CONTROLS);
    }

    @SuppressWarnings("unchecked")
    static List<String> lowContrastText(WebDriver driver) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript(LOW_CONTRAST);
    }
}

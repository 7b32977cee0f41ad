// Every string a reader sees that is not in a page: the theme's interface (per locale) and the
// labels our markdown plugins print. English is the root locale; Spanish lives under /es/ and
// follows the terms of the original Spanish handout ("Práctica", "Tarea", "Entregable").
import type { DefaultTheme } from "vitepress";

export type Lang = "en" | "es";

/** The language of a page, from its path relative to `site/` (`es/lab1.md` → `es`). */
export function pageLang(env: { relativePath?: string }): Lang {
  return env.relativePath?.startsWith("es/") ? "es" : "en";
}

/** Labels printed by our markdown plugins (task boxes, snippets, VitePress's own blocks). */
export const markdownLabels = {
  en: {
    task: "Task",
    deliverable: "Deliverable",
    optional: "Optional",
    excerpt: "excerpt",
    copyCode: "Copy code",
    // The struct format-code table (plugins/format-codes.ts).
    formatCodes: {
      columns: [
        "Code",
        "C type",
        "Python type",
        "JavaScript type",
        "Standard size (! < > =)",
        "Native size (@, x86_64 Linux)",
      ],
      nativeOnly: "native only",
    },
    // VitePress's default container titles, used when a block gives none.
    containers: {
      tip: "TIP",
      note: "NOTE",
      info: "INFO",
      important: "IMPORTANT",
      warning: "WARNING",
      caution: "CAUTION",
      danger: "DANGER",
      details: "Details",
    },
  },
  es: {
    task: "Tarea",
    deliverable: "Entregable",
    optional: "Opcional",
    excerpt: "extracto",
    copyCode: "Copiar código",
    formatCodes: {
      columns: [
        "Código",
        "Tipo C",
        "Tipo Python",
        "Tipo JavaScript",
        "Tamaño estándar (! < > =)",
        "Tamaño nativo (@, Linux x86_64)",
      ],
      nativeOnly: "solo nativo",
    },
    containers: {
      tip: "CONSEJO",
      note: "NOTA",
      info: "INFORMACIÓN",
      important: "IMPORTANTE",
      warning: "ATENCIÓN",
      caution: "PRECAUCIÓN",
      danger: "CUIDADO",
      details: "Detalles",
    },
  },
} as const;

/** The theme's interface in English (mostly VitePress's defaults, spelled out for symmetry). */
export const themeEn: DefaultTheme.Config = {
  nav: [
    { text: "Lab 1", link: "/lab1", activeMatch: "^/lab1" },
    { text: "Lab 2", link: "/lab2", activeMatch: "^/lab2" },
    { text: "Lab 3", link: "/lab3", activeMatch: "^/lab3" },
    { text: "API reference", link: "/reference", activeMatch: "^/reference" },
  ],
  sidebar: [
    {
      text: "Course",
      items: [
        { text: "Getting started", link: "/" },
        { text: "Lab 1 — TCP and UDP sockets", link: "/lab1" },
        { text: "Sensor telemetry protocol", link: "/sensor-protocol" },
        { text: "Lab 2 — Many connections and application protocols", link: "/lab2" },
        { text: "Lab 3 — Encoding data for the wire", link: "/lab3" },
        { text: "API reference (lib/)", link: "/reference" },
      ],
    },
  ],
  outline: { level: [2, 3], label: "On this page" },
  docFooter: { prev: "Previous page", next: "Next page" },
  lastUpdated: { text: "Last updated" },
  darkModeSwitchLabel: "Appearance",
  lightModeSwitchTitle: "Switch to light theme",
  darkModeSwitchTitle: "Switch to dark theme",
  sidebarMenuLabel: "Menu",
  returnToTopLabel: "Return to top",
  langMenuLabel: "Change language",
  skipToContentLabel: "Skip to content",
  notFound: {
    title: "PAGE NOT FOUND",
    quote: "This page does not exist. The labs are listed in the sidebar.",
    linkLabel: "go to the home page",
    linkText: "Back to the course",
  },
};

export const themeEs: DefaultTheme.Config = {
  nav: [
    { text: "Práctica 1", link: "/es/lab1", activeMatch: "^/es/lab1" },
    { text: "Práctica 2", link: "/es/lab2", activeMatch: "^/es/lab2" },
    { text: "Práctica 3", link: "/es/lab3", activeMatch: "^/es/lab3" },
    { text: "Referencia de la API", link: "/es/reference", activeMatch: "^/es/reference" },
  ],
  sidebar: [
    {
      text: "Curso",
      items: [
        { text: "Primeros pasos", link: "/es/" },
        { text: "Práctica 1 — Sockets TCP y UDP", link: "/es/lab1" },
        { text: "Protocolo de telemetría de sensores", link: "/es/sensor-protocol" },
        { text: "Práctica 2 — Muchas conexiones y protocolos de aplicación", link: "/es/lab2" },
        { text: "Práctica 3 — Codificar datos para la red", link: "/es/lab3" },
        { text: "Referencia de la API (lib/)", link: "/es/reference" },
      ],
    },
  ],
  outline: { level: [2, 3], label: "En esta página" },
  docFooter: { prev: "Página anterior", next: "Página siguiente" },
  lastUpdated: { text: "Última actualización" },
  darkModeSwitchLabel: "Apariencia",
  lightModeSwitchTitle: "Cambiar a tema claro",
  darkModeSwitchTitle: "Cambiar a tema oscuro",
  sidebarMenuLabel: "Menú",
  returnToTopLabel: "Volver arriba",
  langMenuLabel: "Cambiar idioma",
  skipToContentLabel: "Saltar al contenido",
  notFound: {
    title: "PÁGINA NO ENCONTRADA",
    quote: "Esta página no existe. Las prácticas están en la barra lateral.",
    linkLabel: "ir a la página de inicio",
    linkText: "Volver al curso",
  },
};

/** Local search: one index per locale; these are the Spanish strings of its box and dialog. */
export const searchEs: DefaultTheme.LocalSearchOptions = {
  translations: {
    button: { buttonText: "Buscar", buttonAriaLabel: "Buscar" },
    modal: {
      displayDetails: "Mostrar la lista detallada",
      resetButtonTitle: "Borrar la búsqueda",
      backButtonTitle: "Cerrar la búsqueda",
      noResultsText: "No hay resultados para",
      footer: {
        selectText: "para abrir",
        selectKeyAriaLabel: "intro",
        navigateText: "para moverse",
        navigateUpKeyAriaLabel: "flecha arriba",
        navigateDownKeyAriaLabel: "flecha abajo",
        closeText: "para cerrar",
        closeKeyAriaLabel: "escape",
      },
    },
  },
};

/** The interactive widgets of the theme (theme/widgets/), which pick these by the page's language. */
export const widgetLabels = {
  en: {
    bitExplorer: {
      title: "Bit explorer",
      instructions:
        "Click a bit (or move to it with Tab and the arrow keys, then press Space) to flip it, or type a value in any of the four boxes.",
      width: "Width",
      bits: (width: number) => `${width} bits`,
      bitGroup: "Bits, most significant first",
      bit: (position: number, weight: number) => `Bit ${position} (${weight})`,
      views: {
        unsigned: "Unsigned",
        signed: "Signed (two's complement)",
        hex: "Hexadecimal",
        binary: "Binary",
      },
      notation: {
        unsigned: "Type a whole number of 0 or more, such as 83.",
        signed: "Type a whole number, such as -45.",
        hex: "Type hexadecimal digits, such as 0x53.",
        binary: "Type binary digits, such as 0b01010011.",
      },
    },
    structPlayground: {
      title: "Struct playground",
      format: "Format",
      values: "Values",
      valuesHint:
        "One per line, or separated by commas. Whole numbers for integer codes, decimals (or inf, nan) for e f d, true or false for ?, text for c s p.",
      packsTo: (size: number) => `Packs to ${size} ${size === 1 ? "byte" : "bytes"}`,
      offset: "Offset",
      fields: "Fields",
      byteRange: (offset: number, size: number) =>
        size === 0
          ? "no bytes"
          : size === 1
          ? `byte ${offset}`
          : `bytes ${offset}–${offset + size - 1}`,
      padding: "padding (x, or alignment under @)",
      tooLarge: (size: number, limit: number) =>
        `This format packs to ${size} bytes; the playground draws at most ${limit}.`,
    },
  },
  es: {
    bitExplorer: {
      title: "Explorador de bits",
      instructions:
        "Pulse un bit (o llegue a él con Tab y las flechas y pulse Espacio) para invertirlo, o escriba un valor en cualquiera de los cuatro campos.",
      width: "Ancho",
      bits: (width: number) => `${width} bits`,
      bitGroup: "Bits, del más significativo al menos significativo",
      bit: (position: number, weight: number) => `Bit ${position} (${weight})`,
      views: {
        unsigned: "Sin signo",
        signed: "Con signo (complemento a dos)",
        hex: "Hexadecimal",
        binary: "Binario",
      },
      notation: {
        unsigned: "Escriba un número entero mayor o igual que 0, como 83.",
        signed: "Escriba un número entero, como -45.",
        hex: "Escriba dígitos hexadecimales, como 0x53.",
        binary: "Escriba dígitos binarios, como 0b01010011.",
      },
    },
    structPlayground: {
      title: "Banco de pruebas de struct",
      format: "Formato",
      values: "Valores",
      valuesHint:
        "Uno por línea, o separados por comas. Números enteros para los códigos enteros, decimales (o inf, nan) para e f d, true o false para ?, texto para c s p.",
      packsTo: (size: number) => `Se empaqueta en ${size} ${size === 1 ? "byte" : "bytes"}`,
      offset: "Desplazamiento",
      fields: "Campos",
      byteRange: (offset: number, size: number) =>
        size === 0
          ? "sin bytes"
          : size === 1
          ? `byte ${offset}`
          : `bytes ${offset}–${offset + size - 1}`,
      padding: "relleno (x, o alineación con @)",
      tooLarge: (size: number, limit: number) =>
        `Este formato ocupa ${size} bytes; el banco de pruebas dibuja como mucho ${limit}.`,
    },
  },
} as const;

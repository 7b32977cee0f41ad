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
    copyCommand: "Copy the command",
    copied: "Copied",
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
    copyCommand: "Copiar la orden",
    copied: "Copiado",
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

/**
 * A lab in the sidebar: its title opens the overview page, and it unfolds (on its own pages, or
 * by a click) into its pages, given as [text, page] with the page relative to the overview's
 * folder (`task-1-1` → `/lab1/task-1-1`) or absolute (`/sensor-protocol`).
 */
function lab(text: string, link: string, pages: [string, string][]): DefaultTheme.SidebarItem {
  const items = pages.map(([text, page]) => ({
    text,
    link: page.startsWith("/") ? page : `${link}/${page}`,
  }));
  return { text, link, collapsed: true, items };
}

/** The theme's interface in English (mostly VitePress's defaults, spelled out for symmetry). */
export const themeEn: DefaultTheme.Config = {
  nav: [
    { text: "Lab 1", link: "/lab1", activeMatch: "^/lab1" },
    { text: "Lab 2", link: "/lab2", activeMatch: "^/lab2" },
    { text: "Lab 3", link: "/lab3", activeMatch: "^/lab3" },
    { text: "API reference", link: "/reference", activeMatch: "^/reference" },
    { text: "For instructors", link: "/instructors", activeMatch: "^/instructors" },
  ],
  // One entry per page: a lab's entry opens its overview and unfolds its pages, tasks by number
  // (the codes D1, O1, X1 are the ones `deno task grade --task` takes).
  sidebar: [
    {
      text: "Course",
      items: [
        { text: "Getting started", link: "/" },
        lab("Lab 1 — TCP and UDP sockets", "/lab1", [
          ["From Python's socket module to Deno", "python-to-deno"],
          ["Watching sockets and capturing traffic", "watching-sockets"],
          ["1.1 TCP echo server and client", "task-1-1"],
          ["1.2 UDP send and receive", "task-1-2"],
          ["1.3 UDP echo, and TCP vs UDP for IoT", "task-1-3"],
          ["1.4 Binary data with struct", "task-1-4"],
          ["1.5 Concurrent server with a conversational client", "task-1-5"],
          ["D1 Sensor telemetry over TCP and UDP", "deliverable-1"],
          ["Sensor telemetry protocol", "/sensor-protocol"],
          ["O1 A concurrent server for the deliverable", "optional-concurrent-server"],
          ["O2 Reliable, in-order delivery over UDP", "optional-reliable-udp"],
          ["X1, X2 Two hosts, ports and bind addresses", "extra-tasks"],
        ]),
        lab("Lab 2 — Many connections and application protocols", "/lab2", [
          ["2.1 Many connections at once", "task-2-1"],
          ["2.2 Message boundaries", "task-2-2"],
          ["2.3 An application protocol", "task-2-3"],
          ["2.4 Byte order", "task-2-4"],
          ["2.5 Every core", "task-2-5"],
        ]),
        lab("Lab 3 — Encoding data for the wire", "/lab3", [
          ["3.1 Text and its encodings", "task-3-1"],
          ["3.2 Numbers on the wire", "task-3-2"],
          ["3.3 Bits", "task-3-3"],
          ["3.4 Bit exercises", "task-3-4"],
          ["3.5 Compression", "task-3-5"],
          ["3.6 Logging", "task-3-6"],
          ["3.7 The networked game", "task-3-7"],
        ]),
        { text: "API reference (lib/)", link: "/reference" },
        { text: "For instructors: grading a class", link: "/instructors" },
      ],
    },
  ],
  outline: { level: [2, 3], label: "On this page" },
  docFooter: { prev: "Previous page", next: "Next page" },
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
    { text: "Para docentes", link: "/es/instructors", activeMatch: "^/es/instructors" },
  ],
  sidebar: [
    {
      text: "Curso",
      items: [
        { text: "Primeros pasos", link: "/es/" },
        lab("Práctica 1 — Sockets TCP y UDP", "/es/lab1", [
          ["Del módulo socket de Python a Deno", "python-to-deno"],
          ["Observar los sockets y capturar el tráfico", "watching-sockets"],
          ["1.1 Servidor y cliente echo TCP", "task-1-1"],
          ["1.2 Envío y recepción UDP", "task-1-2"],
          ["1.3 Echo UDP, y TCP frente a UDP para IoT", "task-1-3"],
          ["1.4 Datos binarios con struct", "task-1-4"],
          ["1.5 Servidor concurrente con un cliente conversacional", "task-1-5"],
          ["D1 Telemetría de sensores sobre TCP y UDP", "deliverable-1"],
          ["Protocolo de telemetría de sensores", "/es/sensor-protocol"],
          ["O1 Un servidor concurrente para el entregable", "optional-concurrent-server"],
          ["O2 Entrega fiable y en orden sobre UDP", "optional-reliable-udp"],
          ["X1, X2 Dos máquinas, puertos y direcciones de escucha", "extra-tasks"],
        ]),
        lab("Práctica 2 — Muchas conexiones y protocolos de aplicación", "/es/lab2", [
          ["2.1 Muchas conexiones a la vez", "task-2-1"],
          ["2.2 Límites de los mensajes", "task-2-2"],
          ["2.3 Un protocolo de aplicación", "task-2-3"],
          ["2.4 Orden de los bytes", "task-2-4"],
          ["2.5 Todos los núcleos", "task-2-5"],
        ]),
        lab("Práctica 3 — Codificar datos para la red", "/es/lab3", [
          ["3.1 El texto y sus codificaciones", "task-3-1"],
          ["3.2 Números en la red", "task-3-2"],
          ["3.3 Bits", "task-3-3"],
          ["3.4 Ejercicios de bits", "task-3-4"],
          ["3.5 Compresión", "task-3-5"],
          ["3.6 Registro", "task-3-6"],
          ["3.7 El juego en red", "task-3-7"],
        ]),
        { text: "Referencia de la API (lib/)", link: "/es/reference" },
        { text: "Para docentes: corregir una clase", link: "/es/instructors" },
      ],
    },
  ],
  outline: { level: [2, 3], label: "En esta página" },
  docFooter: { prev: "Página anterior", next: "Página siguiente" },
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

const products = [
  { sku: 'BK-1', name: 'Book', priceCents: 1999 },
  { sku: 'MG-1', name: 'Mug', priceCents: 850 },
];

export function formatCents(cents) {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} EUR`;
}

let total = 0;
const list = document.getElementById('products');
for (const p of products) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.textContent = `Add ${p.name} (${formatCents(p.priceCents)})`;
  button.addEventListener('click', () => {
    total += p.priceCents;
    document.getElementById('total').textContent = formatCents(total);
  });
  li.append(button);
  list.append(li);
}

// The credit page (issue 24): bank staff see the model report and the decisions per
// merchant; a merchant's borrower tenant sees its offer, accepts it and draws and repays
// on the revolving facility the acceptance opened. Views live in ../credit/.
import { t } from '../i18n.ts';
import { registerPage } from '../page-registry.ts';
import { borrowerView } from '../credit/borrower-view.ts';
import { staffView } from '../credit/staff-view.ts';
import { heading } from '../widgets.ts';

registerPage({
  id: 'credit',
  nav: 'navCredit',
  // The roles the credit API answers: bank staff (lender, risk officer) and borrowers.
  roles: ['lender', 'risk_officer', 'borrower'],
  path: /^\/credit$/,
  liveEvents: ['collateral.changed'],
  async render(context, main) {
    const parts = context.me.role === 'borrower' ? await borrowerView(context) : await staffView(context);
    main.replaceChildren(heading(t('navCredit')), ...parts);
  },
});
